/**
 * The stored dimensions of a session that ingestion derives and the sessions list reads back, as
 * their columns are named (`(none)`/`(direct)` for unset values, never null): the nine of SPEC 3.1
 * and the channel of SPEC 17.4.
 */
export type SessionDimensions = {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  country: string;
  device: string;
  browser: string;
  os: string;
  channel: string;
};
