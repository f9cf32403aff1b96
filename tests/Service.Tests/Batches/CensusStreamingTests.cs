using System.Diagnostics;
using System.Text;
using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

// The memory test reads the whole process's heap: fixtures running beside it would count as its growth.
[NonParallelizable]
internal sealed class CensusStreamingTests
{
    [Test]
    public async Task A_census_is_read_as_it_arrives_not_loaded_first()
    {
        using var census = new GeneratedCensusStream(rows: 10_000);
        long bytesReadAtFirstRow = -1;
        var count = 0;

        await foreach (var line in Census.Reader().ReadAsync(census, Census.Today))
        {
            if (count++ == 0)
            {
                bytesReadAtFirstRow = census.Position;
            }

            Assert.That(line, Is.TypeOf<CensusRow>());
        }

        Assert.That(count, Is.EqualTo(10_000));
        Assert.That(bytesReadAtFirstRow, Is.LessThan(64 * 1024), "the first row comes after one buffer, not after the whole file");
        Assert.That(census.Position, Is.EqualTo(census.Length));
    }

    [Test]
    public async Task Memory_held_while_reading_does_not_grow_with_the_file()
    {
        // 100,000 rows is about 8 MB of census. What the reader keeps is the patient_ref index (for duplicates);
        // the records themselves are not retained, so the heap grows by far less than the file.
        using var census = new GeneratedCensusStream(rows: 100_000);
        long heapAt1000 = 0;
        var count = 0;
        var stopwatch = Stopwatch.StartNew();

        await foreach (var line in Census.Reader().ReadAsync(census, Census.Today))
        {
            count++;
            if (count == 1_000)
            {
                heapAt1000 = GC.GetTotalMemory(forceFullCollection: true);
            }
            else if (count == 10_000)
            {
                TestContext.Out.WriteLine($"10,000 rows read in {stopwatch.ElapsedMilliseconds} ms");
            }
        }

        var heapAtEnd = GC.GetTotalMemory(forceFullCollection: true);
        var growth = heapAtEnd - heapAt1000;
        TestContext.Out.WriteLine($"{count:N0} rows ({census.Length:N0} bytes) in {stopwatch.ElapsedMilliseconds} ms; heap grew {growth:N0} bytes from row 1,000 to the end");

        Assert.That(count, Is.EqualTo(100_000));
        Assert.That(growth, Is.LessThan(census.Length / 2));
    }

    /// <summary>A read-only stream that makes census lines as they are read, so the test itself holds no file.</summary>
    private sealed class GeneratedCensusStream(int rows) : Stream
    {
        private readonly long _length = ComputeLength(rows);
        private byte[] _pending = Encoding.UTF8.GetBytes(Census.Header + "\n");
        private int _pendingOffset;
        private int _nextRow = 1;
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                if (_pendingOffset == _pending.Length)
                {
                    if (_nextRow > rows)
                    {
                        break;
                    }

                    _pending = Encoding.UTF8.GetBytes(Census.Row(_nextRow++) + "\n");
                    _pendingOffset = 0;
                }

                var n = Math.Min(count - written, _pending.Length - _pendingOffset);
                Array.Copy(_pending, _pendingOffset, buffer, offset + written, n);
                _pendingOffset += n;
                written += n;
            }

            _position += written;
            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static long ComputeLength(int rows)
        {
            long length = Encoding.UTF8.GetByteCount(Census.Header + "\n");
            for (var i = 1; i <= rows; i++)
            {
                length += Encoding.UTF8.GetByteCount(Census.Row(i) + "\n");
            }

            return length;
        }
    }
}
