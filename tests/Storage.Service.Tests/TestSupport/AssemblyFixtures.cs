// One PostgreSQL server and one s3rver for the whole assembly, each started by the first test that needs it.
[assembly: AssemblyFixture(typeof(SharedPostgresServer))]
[assembly: AssemblyFixture(typeof(SharedS3Server))]
