-- Verify flipr:users on sqlite

SELECT id FROM users;
