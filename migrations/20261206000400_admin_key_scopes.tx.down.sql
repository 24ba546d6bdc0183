-- Nothing to undo: an empty scope list meant every scope before, too.
SELECT 1;
