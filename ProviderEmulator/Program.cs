using ProviderEmulator;

var builder = WebApplication.CreateBuilder(args);
builder.AddEmulatorServices();

var app = builder.Build();
app.MapEmulator();

app.Run();
