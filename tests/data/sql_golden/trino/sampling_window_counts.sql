SELECT CAST(EXTRACT(HOUR FROM AT_TIMEZONE("ts", ?)) AS INTEGER) AS "hour_of_day", "region", "is_retry", COUNT(*) AS "count" FROM "analytics"."eval_sample" GROUP BY 1, 2, 3;
-- parameters: ["Europe/Berlin"]
