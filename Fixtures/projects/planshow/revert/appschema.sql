-- revert appschema
SELECT 1; -- Ünïcødé
