-- deploy café
SELECT 1; -- Ünïcødé
