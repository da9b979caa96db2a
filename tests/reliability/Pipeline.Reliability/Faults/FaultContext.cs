namespace Pipeline.Reliability.Faults;

/// <summary>What a fault case works with: generations through the gateway, the emulator's controls, and the fleet's processes.</summary>
internal sealed record FaultContext(GenerationProbe Probe, EmulatorControl Emulator, FleetProcesses Processes, ImageAccounting Accounting, TextWriter Log);
