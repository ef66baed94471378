-- deploy hash/tags in Latin-1: café
SELECT 1;
