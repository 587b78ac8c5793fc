SELECT CAST(EXTRACT(HOUR FROM "ts" AT TIME ZONE ?) AS INT) AS "hour_of_day", "region", "is_retry", COUNT(*) AS "count" FROM "analytics"."eval_sample" GROUP BY 1, 2, 3;
-- parameters: ["Europe/Berlin"]
