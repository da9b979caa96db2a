// One PostgreSQL server for the whole assembly, started by the first test of the shared limits.
[assembly: AssemblyFixture(typeof(SharedServer<PostgresServer>))]
