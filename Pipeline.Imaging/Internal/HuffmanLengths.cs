namespace Pipeline.Imaging.Internal;

/// <summary>Length-limited Huffman code lengths and canonical codes.</summary>
internal static class HuffmanLengths
{
    /// <summary>
    /// Code lengths for <paramref name="counts"/>, none longer than <paramref name="maxLength"/>. Symbols with count 0 get
    /// length 0. With one used symbol it gets length 1 (callers treat that as a zero-bit code).
    /// </summary>
    public static int[] Build(ReadOnlySpan<int> counts, int maxLength)
    {
        var lengths = new int[counts.Length];
        var working = counts.ToArray();
        while (true)
        {
            var used = 0;
            for (var i = 0; i < working.Length; i++)
            {
                if (working[i] > 0)
                {
                    used++;
                }
            }

            if (used == 0)
            {
                return lengths;
            }

            if (used == 1)
            {
                for (var i = 0; i < working.Length; i++)
                {
                    lengths[i] = working[i] > 0 ? 1 : 0;
                }

                return lengths;
            }

            if (TryBuild(working, maxLength, lengths))
            {
                return lengths;
            }

            // Too deep: flatten the histogram (every used symbol stays used) and try again.
            for (var i = 0; i < working.Length; i++)
            {
                if (working[i] > 0)
                {
                    working[i] = (working[i] >> 1) + 1;
                }
            }
        }
    }

    /// <summary>Canonical codes (MSB-first values) for <paramref name="lengths"/>.</summary>
    public static int[] Codes(ReadOnlySpan<int> lengths)
    {
        var countPerLength = new int[17];
        foreach (var length in lengths)
        {
            countPerLength[length]++;
        }

        countPerLength[0] = 0;
        var next = new int[17];
        var code = 0;
        for (var bits = 1; bits <= 16; bits++)
        {
            code = (code + countPerLength[bits - 1]) << 1;
            next[bits] = code;
        }

        var codes = new int[lengths.Length];
        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            if (lengths[symbol] != 0)
            {
                codes[symbol] = next[lengths[symbol]]++;
            }
        }

        return codes;
    }

    private static bool TryBuild(int[] counts, int maxLength, int[] lengths)
    {
        // Classic two-queue-free approach: a priority queue of (weight, node); parents tracked to read depths.
        var nodeCount = counts.Length;
        var parent = new int[counts.Length * 2];
        var queue = new PriorityQueue<int, (long Weight, int Order)>();
        var order = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                queue.Enqueue(i, (counts[i], order++));
            }
        }

        while (queue.Count > 1)
        {
            queue.TryDequeue(out var a, out var wa);
            queue.TryDequeue(out var b, out var wb);
            var node = nodeCount++;
            parent[a] = node;
            parent[b] = node;
            queue.Enqueue(node, (wa.Weight + wb.Weight, order++));
        }

        var root = queue.Dequeue();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                lengths[i] = 0;
                continue;
            }

            var depth = 0;
            for (var n = i; n != root; n = parent[n])
            {
                depth++;
            }

            if (depth > maxLength)
            {
                return false;
            }

            lengths[i] = depth;
        }

        return true;
    }
}
