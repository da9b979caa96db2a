// One PostgreSQL server and one s3rver for the whole assembly, each started by the first test that needs it.
[assembly: AssemblyFixture(typeof(SharedServer<PostgresServer>))]
[assembly: AssemblyFixture(typeof(SharedServer<S3Server>))]
