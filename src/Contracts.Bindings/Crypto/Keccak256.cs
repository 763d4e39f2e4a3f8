using System.Buffers.Binary;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not NIST SHA3-256's 0x06; Yellow Paper
/// appendix F): Keccak-f[1600], rate 1088 bits, on spans without allocation. Proven equal to BouncyCastle's
/// KeccakDigest by a property test.
/// </summary>
public static class Keccak256
{
    /// <summary>The digest size in bytes.</summary>
    public const int Size = 32;

    private const int Rate = 136; // (1600 - 2 * 256) / 8

    private static readonly ulong[] s_roundConstants =
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000, 0x000000000000808b,
        0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008a, 0x0000000000000088,
        0x0000000080008009, 0x000000008000000a, 0x000000008000808b, 0x800000000000008b, 0x8000000000008089,
        0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static Hash32 Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> output = stackalloc byte[Size];
        Hash(data, output);
        return new Hash32(output);
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"destination needs {Size} bytes, has {destination.Length}", nameof(destination));
        }

        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        while (data.Length >= Rate)
        {
            Absorb(state, data[..Rate]);
            Permute(state);
            data = data[Rate..];
        }

        // Pad the last block: 0x01 after the data, 0x80 in the last byte of the rate (multi-rate padding pad10*1).
        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        Absorb(state, last);
        Permute(state);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(i * 8)..], state[i]);
        }
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < Rate / 8; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }
    }

    // Keccak-f[1600] (FIPS 202 section 3.2), unrolled over 25 lane variables a{x}{y}: theta, rho and pi, chi, iota.
    private static void Permute(Span<ulong> state)
    {
        ulong a00 = state[0]; ulong a10 = state[1]; ulong a20 = state[2]; ulong a30 = state[3]; ulong a40 = state[4];
        ulong a01 = state[5]; ulong a11 = state[6]; ulong a21 = state[7]; ulong a31 = state[8]; ulong a41 = state[9];
        ulong a02 = state[10]; ulong a12 = state[11]; ulong a22 = state[12]; ulong a32 = state[13]; ulong a42 = state[14];
        ulong a03 = state[15]; ulong a13 = state[16]; ulong a23 = state[17]; ulong a33 = state[18]; ulong a43 = state[19];
        ulong a04 = state[20]; ulong a14 = state[21]; ulong a24 = state[22]; ulong a34 = state[23]; ulong a44 = state[24];
        for (var round = 0; round < 24; round++)
        {
            var c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
            var c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
            var c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
            var c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
            var c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
            var d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            var d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            var d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            var d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            var d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            var b00 = (a00 ^ d0);
            var b10 = BitOperations.RotateLeft(a11 ^ d1, 44);
            var b20 = BitOperations.RotateLeft(a22 ^ d2, 43);
            var b30 = BitOperations.RotateLeft(a33 ^ d3, 21);
            var b40 = BitOperations.RotateLeft(a44 ^ d4, 14);
            var b01 = BitOperations.RotateLeft(a30 ^ d3, 28);
            var b11 = BitOperations.RotateLeft(a41 ^ d4, 20);
            var b21 = BitOperations.RotateLeft(a02 ^ d0, 3);
            var b31 = BitOperations.RotateLeft(a13 ^ d1, 45);
            var b41 = BitOperations.RotateLeft(a24 ^ d2, 61);
            var b02 = BitOperations.RotateLeft(a10 ^ d1, 1);
            var b12 = BitOperations.RotateLeft(a21 ^ d2, 6);
            var b22 = BitOperations.RotateLeft(a32 ^ d3, 25);
            var b32 = BitOperations.RotateLeft(a43 ^ d4, 8);
            var b42 = BitOperations.RotateLeft(a04 ^ d0, 18);
            var b03 = BitOperations.RotateLeft(a40 ^ d4, 27);
            var b13 = BitOperations.RotateLeft(a01 ^ d0, 36);
            var b23 = BitOperations.RotateLeft(a12 ^ d1, 10);
            var b33 = BitOperations.RotateLeft(a23 ^ d2, 15);
            var b43 = BitOperations.RotateLeft(a34 ^ d3, 56);
            var b04 = BitOperations.RotateLeft(a20 ^ d2, 62);
            var b14 = BitOperations.RotateLeft(a31 ^ d3, 55);
            var b24 = BitOperations.RotateLeft(a42 ^ d4, 39);
            var b34 = BitOperations.RotateLeft(a03 ^ d0, 41);
            var b44 = BitOperations.RotateLeft(a14 ^ d1, 2);
            a00 = b00 ^ (~b10 & b20);
            a10 = b10 ^ (~b20 & b30);
            a20 = b20 ^ (~b30 & b40);
            a30 = b30 ^ (~b40 & b00);
            a40 = b40 ^ (~b00 & b10);
            a01 = b01 ^ (~b11 & b21);
            a11 = b11 ^ (~b21 & b31);
            a21 = b21 ^ (~b31 & b41);
            a31 = b31 ^ (~b41 & b01);
            a41 = b41 ^ (~b01 & b11);
            a02 = b02 ^ (~b12 & b22);
            a12 = b12 ^ (~b22 & b32);
            a22 = b22 ^ (~b32 & b42);
            a32 = b32 ^ (~b42 & b02);
            a42 = b42 ^ (~b02 & b12);
            a03 = b03 ^ (~b13 & b23);
            a13 = b13 ^ (~b23 & b33);
            a23 = b23 ^ (~b33 & b43);
            a33 = b33 ^ (~b43 & b03);
            a43 = b43 ^ (~b03 & b13);
            a04 = b04 ^ (~b14 & b24);
            a14 = b14 ^ (~b24 & b34);
            a24 = b24 ^ (~b34 & b44);
            a34 = b34 ^ (~b44 & b04);
            a44 = b44 ^ (~b04 & b14);
            a00 ^= s_roundConstants[round];
        }

        state[0] = a00; state[1] = a10; state[2] = a20; state[3] = a30; state[4] = a40;
        state[5] = a01; state[6] = a11; state[7] = a21; state[8] = a31; state[9] = a41;
        state[10] = a02; state[11] = a12; state[12] = a22; state[13] = a32; state[14] = a42;
        state[15] = a03; state[16] = a13; state[17] = a23; state[18] = a33; state[19] = a43;
        state[20] = a04; state[21] = a14; state[22] = a24; state[23] = a34; state[24] = a44;
    }
}
