using Gateway;
using Gateway.OpenAI;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseGatewayMiddleware();
app.MapDefaultEndpoints();
app.MapOpenAIApi();
app.MapGatewayProxy();

app.Run();
