-- deploy users@v2.0
SELECT 'second';


