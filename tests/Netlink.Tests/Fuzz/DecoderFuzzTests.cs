using System.Buffers.Binary;
using System.Reflection;
using Netlink.Tests.Golden;
using Netlink.Transport;
using Netlink.Wire;
using Xunit;
using Xunit.Abstractions;

namespace Netlink.Tests.Fuzz;

/// <summary>
/// Random and mutated real messages into every decoder: the only exception allowed out is
/// <see cref="NetlinkProtocolException"/>. One fixed seed (reproducible) and one fresh seed per run.
/// </summary>
public class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerSeed = 100_000;
    private static readonly ushort[] InterestingTypes = [2, 3, 16, 17, 20, 21, 24, 25, 28, 29, 32, 33];

    private static readonly byte[][] Corpus = typeof(Captures)
        .GetFields(BindingFlags.Static | BindingFlags.NonPublic)
        .Select(field => Convert.FromHexString((string)field.GetValue(null)!))
        .ToArray();

    /// <summary>The fresh case's seed: INIT_FUZZ_SEED when set (a replay), else a new one; printed either way.</summary>
    private static int FreshSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("INIT_FUZZ_SEED"), out var replay) ? replay : Random.Shared.Next();

    [Theory]
    [InlineData("fixed")]
    [InlineData("fresh")]
    public void DecodersThrowOnlyProtocolErrors(string kind)
    {
        var seed = kind == "fixed" ? 20261127 : FreshSeed();
        output.WriteLine($"seed {seed} (replay: INIT_FUZZ_SEED={seed} dotnet test --filter DecodersThrowOnlyProtocolErrors)");
        var random = new Random(seed);
        var decoded = 0;
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var input = i % 10 == 0 ? RandomBytes(random) : Mutate(random);
            try
            {
                decoded += DecodeEverything(input);
            }
            catch (NetlinkProtocolException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} case {i}: {e.GetType().Name} for {Convert.ToHexStringLower(input)}\n{e}");
            }
        }
        output.WriteLine($"{decoded} messages decoded");
        Assert.True(decoded > CasesPerSeed / 10, "mutations should still decode often, or the fuzzer tests nothing deep");
    }

    private static int DecodeEverything(byte[] datagram)
    {
        var count = 0;
        var reader = new MessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            _ = message.Type switch
            {
                NetlinkHeader.Error => Acknowledgement.FromError(message, datagram)?.Message,
                NetlinkHeader.Done => Acknowledgement.FromDone(message, datagram)?.Message,
                _ => NetlinkEvents.Decode(message)?.ToString(),
            };
            count++;
        }
        return count;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (bytes.Length >= 16 && random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)random.Next(16, bytes.Length + 1));
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), InterestingTypes[random.Next(InterestingTypes.Length)]);
        }
        return bytes;
    }

    private static byte[] Mutate(Random random)
    {
        var bytes = (byte[])Corpus[random.Next(Corpus.Length)].Clone();
        for (var edits = random.Next(1, 5); edits > 0 && bytes.Length > 0; edits--)
        {
            var at = random.Next(bytes.Length);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2 when at + 2 <= bytes.Length: // a length or type field set to a boundary value
                    ushort[] boundaries = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 0x7fff, 0x8000, 0xffff, (ushort)(bytes.Length - at), (ushort)(bytes.Length - at + 1)];
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), boundaries[random.Next(boundaries.Length)]);
                    break;
                case 3:
                    bytes = bytes[..at];
                    break;
                case 4 when bytes.Length >= 6:
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), InterestingTypes[random.Next(InterestingTypes.Length)]);
                    break;
                default:
                    var other = Corpus[random.Next(Corpus.Length)];
                    var from = random.Next(other.Length);
                    bytes = [.. bytes[..at], .. other[from..Math.Min(other.Length, from + random.Next(1, 64))]];
                    break;
            }
        }
        return bytes;
    }
}
