-- deploy users@v1.0
SELECT 'first';
