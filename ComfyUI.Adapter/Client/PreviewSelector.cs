namespace ComfyUI.Adapter.Client;

/// <summary>
/// Which of ComfyUI's previews become partial frames. With <c>partial_images</c> = 0 every preview ComfyUI sends does (the
/// eco mode streams what the backend shows); with P &gt; 0 at most P do, spread over the run by progress: the k-th is the
/// first preview at or after k/(P+1) of the steps, so even one partial shows an early picture.
/// </summary>
internal sealed class PreviewSelector(int wanted)
{
    private int _taken;
    private int _value;
    private int _max;

    /// <summary>The last progress message's step and step count.</summary>
    public void Progress(int value, int max) => (_value, _max) = (value, max);

    /// <summary>Whether the preview arriving now becomes a partial frame.</summary>
    public bool Take()
    {
        if (wanted > 0 && (_taken >= wanted || (_max > 0 && (long)_value * (wanted + 1) < (long)(_taken + 1) * _max)))
        {
            return false;
        }
        _taken++;
        return true;
    }
}
