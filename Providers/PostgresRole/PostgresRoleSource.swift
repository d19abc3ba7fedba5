// postgres-role source
