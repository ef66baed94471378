-- verify appschema
SELECT 1; -- Ünïcødé
