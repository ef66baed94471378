-- revert hash/tags
SELECT 1; -- Ünïcødé
