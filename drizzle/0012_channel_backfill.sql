-- SPEC 17.4: the channel of the rows stored before it, from their source and medium. The function is
-- lib/ingest/sources/channel.ts channelBackfillFunctionSql() at the time of this migration (a test
-- compares its answers with channelOf's on a sample): channelOf's rules over our own network list (the maintained list's hosts are
-- not repeated here, and no click ids were stored before). Created, used once, dropped.
CREATE FUNCTION utmd_channel_backfill(src text, med text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN s = '(direct)' AND m IN ('(none)', '(not set)') THEN 'Direct'
    WHEN m ~ '^(.*cp.*|ppc|retargeting|paid.*)$' AND cat = 'search' THEN 'Paid Search'
    WHEN m ~ '^(.*cp.*|ppc|retargeting|paid.*)$' AND (cat = 'social' OR m ~ '^(paid[-_ ]?social|social[-_ ]?paid)$') THEN 'Paid Social'
    WHEN m ~ '^(.*cp.*|ppc|retargeting|paid.*)$' AND cat = 'video' THEN 'Video'
    WHEN m ~ '^(display|banner|expandable|interstitial|cpm)$' OR cat = 'display' THEN 'Display'
    WHEN m ~ '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Other'
    WHEN cat = 'ai' THEN 'AI Assistants'
    WHEN cat = 'social' OR m ~ '^(social|social[-_ ]network|social[-_ ]media|sm)$' THEN 'Organic Social'
    WHEN cat = 'video' OR m ~ '^(.*video.*)$' THEN 'Video'
    WHEN cat = 'search' OR m = 'organic' THEN 'Organic Search'
    WHEN cat = 'email' OR s ~ '^(email|e-mail|e_mail|e mail|newsletter)$' OR m ~ '^(email|e-mail|e_mail|e mail|newsletter)$' THEN 'Email'
    WHEN m IN ('affiliate', 'affiliates') THEN 'Affiliates'
    WHEN cat = 'sms' OR s = 'sms' OR m = 'sms' THEN 'SMS'
    WHEN m ~ '^(referral|app|link)$' THEN 'Referral'
    ELSE 'Other'
  END
  FROM (SELECT lower(src) AS s, lower(med) AS m) x
  CROSS JOIN LATERAL (SELECT CASE
      WHEN x.s IN ('chatgpt', 'openai', 'gemini', 'perplexity', 'copilot', 'claude', 'mistral', 'deepseek', 'grok', 'meta-ai', 'poe', 'you.com', 'phind')
        OR x.s ~ '^(.+\.)?(chatgpt\.com|chat\.openai\.com|gemini\.google\.com|bard\.google\.com|aistudio\.google\.com|notebooklm\.google\.com|perplexity\.ai|copilot\.microsoft\.com|copilot\.cloud\.microsoft|claude\.ai|chat\.mistral\.ai|chat\.deepseek\.com|grok\.com|meta\.ai|poe\.com|you\.com|phind\.com)$' THEN 'ai'
      WHEN x.s IN ('gmail', 'outlook', 'yahoo-mail', 'yandex-mail', 'ukr.net', 'mail.ru', 'i.ua', 'proton-mail', 'aol-mail', 'zoho-mail', 'gmx', 'web.de', 'seznam-mail', 'naver-mail', 'qq-mail')
        OR x.s ~ '^(.+\.)?(mail\.google\.com|inbox\.google\.com|outlook\.live\.com|outlook\.office\.com|outlook\.office365\.com|mail\.live\.com|outlook\.com|mail\.yahoo\.com|mail\.yahoo\.co\.jp|mail\.yandex\.ru|mail\.yandex\.com|mail\.yandex\.ua|mail\.yandex\.by|mail\.yandex\.kz|mail\.yandex\.com\.tr|mail\.ukr\.net|freemail\.ukr\.net|e\.mail\.ru|touch\.mail\.ru|octavius\.mail\.ru|mbox\.i\.ua|mail\.i\.ua|mail\.proton\.me|mail\.protonmail\.com|mail\.aol\.com|mail\.zoho\.com|mail\.zoho\.eu|gmx\.net|gmx\.com|gmx\.de|web\.de|email\.seznam\.cz|mail\.naver\.com|mail\.qq\.com)$' THEN 'email'
      WHEN x.s IN ('google', 'bing', 'yahoo', 'yandex', 'baidu', 'duckduckgo', 'ecosia', 'brave', 'kagi', 'seznam', 'naver', 'sogou', 'startpage', 'qwant', 'so.com', 'mojeek', 'aol', 'daum', 'yep', 'meta.ua')
        OR x.s ~ '^(.+\.)?(ntp\.msn\.com|cn\.bing\.com|search\.yahoo\.com|ya\.ru|duck\.com|search\.brave\.com|kagi\.com|search\.seznam\.cz|seznam\.cz|search\.naver\.com|m\.search\.naver\.com|naver\.com|sogou\.com|m\.sogou\.com|startpage\.com|startpage\.nl|ixquick\.com|qwant\.com|lite\.qwant\.com|so\.com|m\.so\.com|mojeek\.com|search\.aol\.com|search\.daum\.net|yep\.com|meta\.ua)$'
        OR x.s ~ '^(.+\.)?(google|bing|yahoo|yandex|baidu|duckduckgo|ecosia)(\.[a-z]{2,6}){1,2}$' THEN 'search'
      WHEN x.s IN ('facebook', 'fb', 'meta', 'facebook_ads', 'facebookads', 'instagram', 'ig', 'twitter', 'x', 'linkedin', 'reddit', 'pinterest', 'tiktok', 'telegram', 'whatsapp', 'viber', 'vk', 'vkontakte', 'odnoklassniki', 'threads', 'bluesky', 'snapchat', 'discord', 'quora', 'tumblr', 'mastodon', 'hacker-news', 'nextdoor', 'line')
        OR x.s ~ '^(.+\.)?(facebook\.com|fb\.com|fb\.me|fb\.watch|fb\.gg|messenger\.com|m\.me|facebook\.net|fbsbx\.com|instagram\.com|ig\.me|twitter\.com|t\.co|x\.com|linkedin\.com|lnkd\.in|reddit\.com|redd\.it|reddit\.app\.link|pin\.it|tiktok\.com|tiktokv\.com|t\.me|telegram\.me|telegram\.org|telegram\.dog|whatsapp\.com|wa\.me|viber\.com|invite\.viber\.com|vk\.com|vk\.ru|vk\.me|ok\.ru|odnoklassniki\.ru|threads\.net|threads\.com|bsky\.app|snapchat\.com|discord\.com|discord\.gg|discordapp\.com|quora\.com|tumblr\.com|mastodon\.social|mastodon\.online|news\.ycombinator\.com|nextdoor\.com|line\.me)$'
        OR x.s ~ '^(.+\.)?(pinterest)(\.[a-z]{2,6}){1,2}$' THEN 'social'
      WHEN x.s IN ('youtube', 'yt', 'vimeo', 'twitch', 'dailymotion')
        OR x.s ~ '^(.+\.)?(youtube\.com|youtu\.be|youtube-nocookie\.com|vimeo\.com|twitch\.tv|dailymotion\.com)$' THEN 'video'
      WHEN x.s IN ('sms') THEN 'sms'
    END AS cat) c
$$;
--> statement-breakpoint
-- Direct sessions already have the column default 'Direct'. The statement triggers mark the days
-- touched, so day cells and attribution cells are recomputed on their next read.
UPDATE "sessions" SET "channel" = utmd_channel_backfill("utm_source", "utm_medium")
WHERE "utm_source" <> '(direct)' OR "utm_medium" NOT IN ('(none)', '(not set)');
--> statement-breakpoint
UPDATE "order_touchpoints" SET "channel" = utmd_channel_backfill("utm_source", "utm_medium") WHERE "channel" = '(none)';
--> statement-breakpoint
-- Customers: their acquisition session's channel, else their first order's landing touchpoint's
-- (lib/ingest/facts.ts refreshCustomers), '(none)' when unattributed.
UPDATE "customers" c SET "channel" = coalesce(s."channel", t."channel", '(none)')
FROM "customers" c2
LEFT JOIN "sessions" s ON s."id" = c2."acquisition_session_id"
LEFT JOIN "order_touchpoints" t ON t."order_id" = c2."first_order_id" AND s."id" IS NULL
WHERE c2."customer_id" = c."customer_id";
--> statement-breakpoint
DROP FUNCTION utmd_channel_backfill(text, text);
