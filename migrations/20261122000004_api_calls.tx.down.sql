DROP TABLE api_calls;
