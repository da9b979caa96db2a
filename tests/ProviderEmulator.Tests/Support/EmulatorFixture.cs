namespace ProviderEmulator.Tests.Support;

/// <summary>One in-process emulator (Kestrel on a free loopback port) shared by the tests of a class.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public RunningEmulator Emulator { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Emulator = await EmulatorHost.StartAsync(new EmulatorOptions()).DefaultTimeout();

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();
}
