using System.Buffers.Binary;
using System.IO.Compression;

namespace Concordat.Documents;

/// <summary>
/// Defences against ZIP bombs in DOCX/ODT files. Three layers: the entry count declared in the
/// end-of-central-directory record is checked before .NET materialises the entry list; declared
/// entry counts and sizes are checked once the archive is open; and every byte actually
/// decompressed is counted by an <see cref="ExpansionBudget"/>, because declared sizes can lie.
/// </summary>
public static class ZipGuard
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndOfCentralDirectorySignature = 0x06064b50;
    private const int EndOfCentralDirectoryLength = 22;

    /// <summary>True when the stream starts with a ZIP local file header (or is an empty ZIP).</summary>
    public static bool LooksLikeZip(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 'P' && head[1] == 'K' &&
        ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));

    /// <summary>
    /// Opens a ZIP for reading after checking its declared entry count and total uncompressed size.
    /// Throws <see cref="DocumentTooLargeException"/> or <see cref="InvalidDataException"/>.
    /// </summary>
    public static ZipArchive OpenChecked(Stream seekable, DocumentOptions options)
    {
        var declaredEntries = ReadDeclaredEntryCount(seekable);
        if (declaredEntries > options.MaxZipEntries)
        {
            throw TooManyEntries(options);
        }

        seekable.Position = 0;
        var archive = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
        try
        {
            if (archive.Entries.Count > options.MaxZipEntries)
            {
                throw TooManyEntries(options);
            }

            long declaredTotal = 0;
            foreach (var entry in archive.Entries)
            {
                // Compare before adding so a forged huge Length cannot overflow the sum.
                if (entry.Length > options.MaxExpandedBytes - declaredTotal)
                {
                    throw TooMuchData(options);
                }

                declaredTotal += entry.Length;
            }

            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decompresses every entry into nowhere, counting real output against <paramref name="budget"/>.
    /// Used before handing the archive to a library (OpenXml) that reads parts we cannot wrap.
    /// Memory use is one buffer, whatever the archive claims.
    /// </summary>
    public static void MeasureActualSize(ZipArchive archive, ExpansionBudget budget, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        foreach (var entry in archive.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stream = budget.Wrap(entry.Open());
            while (stream.Read(buffer, 0, buffer.Length) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>
    /// Reads the "total entries" field of the end-of-central-directory record (or its ZIP64 twin).
    /// Returns <see cref="long.MaxValue"/> when the count cannot be determined, so callers refuse.
    /// </summary>
    public static long ReadDeclaredEntryCount(Stream seekable)
    {
        var length = seekable.Length;
        if (length < EndOfCentralDirectoryLength)
        {
            throw new InvalidDataException("Too short to be a ZIP archive.");
        }

        // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
        var tailLength = (int)Math.Min(length, EndOfCentralDirectoryLength + ushort.MaxValue);
        var tail = new byte[tailLength];
        seekable.Position = length - tailLength;
        seekable.ReadExactly(tail);

        for (var i = tailLength - EndOfCentralDirectoryLength; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != EndOfCentralDirectorySignature)
            {
                continue;
            }

            var total = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 10));
            if (total != ushort.MaxValue)
            {
                return total;
            }

            // 0xFFFF means "see the ZIP64 record", whose locator sits just before this one.
            if (i >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i - 20)) == Zip64LocatorSignature)
            {
                var zip64Offset = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(i - 20 + 8));
                if (zip64Offset >= 0 && zip64Offset <= length - 56)
                {
                    var record = new byte[56];
                    seekable.Position = zip64Offset;
                    seekable.ReadExactly(record);
                    if (BinaryPrimitives.ReadUInt32LittleEndian(record) == Zip64EndOfCentralDirectorySignature)
                    {
                        var count = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(32));
                        return count < 0 ? long.MaxValue : count;
                    }
                }
            }

            return long.MaxValue;
        }

        throw new InvalidDataException("No ZIP end-of-central-directory record found.");
    }

    private static DocumentTooLargeException TooManyEntries(DocumentOptions options) =>
        new($"The document contains more than {options.MaxZipEntries} internal files, which is over the limit.");

    internal static DocumentTooLargeException TooMuchData(DocumentOptions options) =>
        new($"The document unpacks to more than {SizeText.Format(options.MaxExpandedBytes)}, which is over the limit.");
}

/// <summary>
/// A running allowance of decompressed bytes, shared by every stream it wraps. Throws
/// <see cref="DocumentTooLargeException"/> as soon as the real total exceeds the limit.
/// </summary>
public sealed class ExpansionBudget(long maxBytes)
{
    private long _used;

    public long MaxBytes { get; } = maxBytes;

    public long UsedBytes => _used;

    public static ExpansionBudget For(DocumentOptions options) => new(options.MaxExpandedBytes);

    /// <summary>Wraps a decompressing stream so its output counts against this budget. Disposing disposes <paramref name="inner"/>.</summary>
    public Stream Wrap(Stream inner) => new BudgetedReadStream(inner, this);

    /// <summary>Whether more than the limit has been asked for (a reader may have caught the refusal and carried on).</summary>
    public bool Exhausted => Interlocked.Read(ref _used) > MaxBytes;

    internal void Consume(int bytes)
    {
        if (Interlocked.Add(ref _used, bytes) > MaxBytes) throw TooLarge();
    }

    internal DocumentTooLargeException TooLarge() =>
        new($"The document unpacks to more than {SizeText.Format(MaxBytes)}, which is over the limit.");

    private sealed class BudgetedReadStream(Stream inner, ExpansionBudget budget) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            budget.Consume(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            budget.Consume(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
