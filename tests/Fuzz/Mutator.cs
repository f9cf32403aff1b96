using System.Text;

namespace CoverageCheck.Fuzz;

/// <summary>
/// Turns a real input into a damaged one: bit flips, truncation, delimiter swaps, random bytes, huge fields, spliced
/// and repeated regions. One seeded <see cref="Random"/>, so a failing input can be reproduced from the seed and index.
/// </summary>
internal sealed class Mutator(Random random, byte[] delimiters)
{
    private static readonly string[] Mutations =
        ["bit-flip", "truncate", "delimiter-swap", "random-bytes", "huge-field", "splice", "repeat", "delete", "insert-delimiters", "stack"];

    public (byte[] Bytes, string Mutation) Mutate(byte[] seed)
    {
        var mutation = Mutations[random.Next(Mutations.Length)];
        var bytes = mutation == "stack" ? Stack(seed) : Apply(mutation, seed);
        return (bytes, mutation);
    }

    private byte[] Stack(byte[] seed)
    {
        var bytes = seed;
        var count = random.Next(2, 6);
        for (var i = 0; i < count; i++)
        {
            bytes = Apply(Mutations[random.Next(Mutations.Length - 1)], bytes);
        }

        return bytes;
    }

    private byte[] Apply(string mutation, byte[] input)
    {
        if (input.Length == 0)
        {
            return RandomBytes(random.Next(1, 64));
        }

        var bytes = (byte[])input.Clone();
        switch (mutation)
        {
            case "bit-flip":
                for (var i = random.Next(1, 9); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case "truncate":
                return bytes[..random.Next(bytes.Length)];
            case "delimiter-swap":
                {
                    var from = delimiters[random.Next(delimiters.Length)];
                    var to = random.Next(4) == 0 ? (byte)random.Next(256) : delimiters[random.Next(delimiters.Length)];
                    for (var i = 0; i < bytes.Length; i++)
                    {
                        if (bytes[i] == from && random.Next(3) != 0)
                        {
                            bytes[i] = to;
                        }
                    }

                    return bytes;
                }

            case "random-bytes":
                {
                    var at = random.Next(bytes.Length);
                    var length = Math.Min(bytes.Length - at, random.Next(1, 64));
                    random.NextBytes(bytes.AsSpan(at, length));
                    return bytes;
                }

            case "huge-field":
                {
                    var at = random.Next(bytes.Length + 1);
                    var filler = random.Next(3) switch
                    {
                        0 => Encoding.ASCII.GetBytes(new string('9', random.Next(4_000, 200_000))),
                        1 => Encoding.UTF8.GetBytes(new string('É', random.Next(2_000, 100_000))),
                        _ => Encoding.ASCII.GetBytes(new string('"', random.Next(1, 10_000))),
                    };
                    return [.. bytes[..at], .. filler, .. bytes[at..]];
                }

            case "splice":
                {
                    var start = random.Next(bytes.Length);
                    var length = random.Next(bytes.Length - start + 1);
                    var at = random.Next(bytes.Length + 1);
                    return [.. bytes[..at], .. bytes.AsSpan(start, length), .. bytes[at..]];
                }

            case "repeat":
                {
                    var start = random.Next(bytes.Length);
                    var length = Math.Min(bytes.Length - start, random.Next(1, 200));
                    var times = random.Next(2, 500);
                    var chunk = bytes.AsSpan(start, length).ToArray();
                    var result = new List<byte>(bytes.Length + (chunk.Length * times));
                    result.AddRange(bytes[..start]);
                    for (var i = 0; i < times; i++)
                    {
                        result.AddRange(chunk);
                    }

                    result.AddRange(bytes[start..]);
                    return [.. result];
                }

            case "delete":
                {
                    var start = random.Next(bytes.Length);
                    var length = random.Next(bytes.Length - start + 1);
                    return [.. bytes[..start], .. bytes[(start + length)..]];
                }

            case "insert-delimiters":
                {
                    var result = new List<byte>(bytes);
                    for (var i = random.Next(1, 20); i > 0; i--)
                    {
                        result.Insert(random.Next(result.Count + 1), delimiters[random.Next(delimiters.Length)]);
                    }

                    return [.. result];
                }

            default:
                throw new InvalidOperationException($"unknown mutation {mutation}");
        }
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
