SELECT "endpoint" AS "endpoint", "latency_class" AS "latency_class", "is_cold" AS "is_cold", CASE WHEN "latency_ms" < 0.01 THEN 0 ELSE CAST(FLOOR(LN("latency_ms" / 0.01) / LN(1.01)) AS INT) + 1 END AS "bin", COUNT(*) AS "count" FROM "requests" GROUP BY 1, 2, 3, 4;
-- parameters: []
