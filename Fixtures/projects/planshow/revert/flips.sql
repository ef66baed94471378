-- revert flips
SELECT 1; -- Ünïcødé
