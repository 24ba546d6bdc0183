-- The page's and the API's entries cannot be told apart any more: rolling
-- back keeps the one name (the code before this change reads both).
SELECT 1;
