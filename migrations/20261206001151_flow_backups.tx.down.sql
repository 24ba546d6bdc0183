DROP TABLE flow_backups;
