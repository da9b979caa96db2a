namespace Pipeline.Imaging;

/// <summary>The bytes are not a valid (or not a supported) image; the message says precisely why.</summary>
public sealed class InvalidImageException : Exception
{
    public InvalidImageException()
        : base("invalid image")
    {
    }

    public InvalidImageException(string message)
        : base(message)
    {
    }

    public InvalidImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
