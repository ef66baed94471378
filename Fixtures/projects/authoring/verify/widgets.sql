-- Verify flipr:widgets on sqlite

SELECT id FROM widgets;
