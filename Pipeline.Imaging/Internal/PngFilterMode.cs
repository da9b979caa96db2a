namespace Pipeline.Imaging.Internal;

/// <summary>Row filter choice of the PNG encoder; the values 0–4 are the PNG filter types themselves.</summary>
internal enum PngFilterMode
{
    None = 0,
    Sub = 1,
    Up = 2,
    Average = 3,
    Paeth = 4,

    /// <summary>Per row, the filter with the smallest sum of absolute signed residuals.</summary>
    Adaptive = 5,
}
