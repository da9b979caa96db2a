// One s3rver for the whole assembly: the S3 blob store tests and the S3 backend tests take it by constructor.
[assembly: AssemblyFixture(typeof(S3Server))]
