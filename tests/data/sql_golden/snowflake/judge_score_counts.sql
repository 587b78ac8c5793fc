SELECT "judge_model" AS "judge_model", COUNT(*) AS "count", SUM(CASE WHEN "score" IS NULL OR COALESCE("parse_error", FALSE) THEN 1 ELSE 0 END) AS "failed" FROM "judged" GROUP BY 1;
-- parameters: []
