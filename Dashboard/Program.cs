using Dashboard;
using Dashboard.Api;
using Dashboard.Otlp;
using Dashboard.Ui;

var builder = WebApplication.CreateBuilder(args);

builder.AddDashboardServiceDefaults();
builder.AddDashboardServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOtlpIntake();
app.MapDashboardApi();
app.MapDashboardUi();

app.Run();
