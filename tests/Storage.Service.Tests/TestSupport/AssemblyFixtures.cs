// One PostgreSQL server for the whole assembly, started by the first test of a Postgres variant.
[assembly: AssemblyFixture(typeof(SharedPostgresServer))]
