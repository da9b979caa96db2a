namespace Pipeline.Imaging;

/// <summary>One 8-bit-per-channel RGBA pixel (straight, not premultiplied, alpha).</summary>
public readonly record struct Rgba32(byte R, byte G, byte B, byte A = 255);
