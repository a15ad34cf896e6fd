/**
 * The nine stored dimensions of a session, as their columns are named (`(none)`/`(direct)` for
 * unset values, never null): the shape written by ingestion and read back by the sessions list.
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
};
