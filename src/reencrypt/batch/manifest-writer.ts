import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsCall } from '../../aws/aws-call.js';

/** Parts of at least S3's 5 MiB minimum; memory holds one part per manifest. */
const PART_BYTES = 8 * 1024 * 1024;

export interface WrittenManifest {
  key: string;
  etag: string;
  objects: number;
  bytes: number;
}

/**
 * A Batch Operations CSV manifest (`bucket,key`, key URL-encoded) streamed into the bucket as
 * a multipart upload, so a listing of any length never sits in memory. Uploaded with the
 * target key's SSE-KMS headers, which a strict bucket policy demands of every write.
 */
export class ManifestWriter {
  private chunks: string[] = [];
  private buffered = 0;
  private uploadId: string | undefined;
  private readonly parts: { ETag: string; PartNumber: number }[] = [];
  objects = 0;
  bytes = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly key: string,
    private readonly keyArn: string,
  ) {}

  async add(objectKey: string, size: number): Promise<void> {
    const line = `${this.bucket},${encodeURIComponent(objectKey)}\n`;
    this.chunks.push(line);
    this.buffered += Buffer.byteLength(line);
    this.objects += 1;
    this.bytes += size;
    if (this.buffered >= PART_BYTES) await this.uploadPart();
  }

  async finish(): Promise<WrittenManifest> {
    const encryption = {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: this.keyArn,
      BucketKeyEnabled: true,
    } as const;
    let etag: string | undefined;
    if (this.uploadId === undefined) {
      const body = this.take();
      const put = await awsCall('reencrypt', 'PutObject', () =>
        this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.key,
            Body: body,
            ContentType: 'text/csv',
            ...encryption,
          }),
        ),
      );
      etag = put.ETag;
    } else {
      if (this.buffered > 0) await this.uploadPart();
      const completed = await awsCall('reencrypt', 'CompleteMultipartUpload', () =>
        this.s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key: this.key,
            UploadId: this.uploadId,
            MultipartUpload: { Parts: this.parts },
          }),
        ),
      );
      etag = completed.ETag;
    }
    return {
      key: this.key,
      etag: (etag ?? '').replaceAll('"', ''),
      objects: this.objects,
      bytes: this.bytes,
    };
  }

  /** Drops a started upload (a stop during listing); the manifest is never half-written. */
  async abort(): Promise<void> {
    if (this.uploadId === undefined) return;
    await this.s3
      .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId }))
      .catch(() => {});
  }

  private take(): string {
    const body = this.chunks.join('');
    this.chunks = [];
    this.buffered = 0;
    return body;
  }

  private async uploadPart(): Promise<void> {
    if (this.uploadId === undefined) {
      const created = await awsCall('reencrypt', 'CreateMultipartUpload', () =>
        this.s3.send(
          new CreateMultipartUploadCommand({
            Bucket: this.bucket,
            Key: this.key,
            ContentType: 'text/csv',
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: this.keyArn,
            BucketKeyEnabled: true,
          }),
        ),
      );
      this.uploadId = created.UploadId;
    }
    const PartNumber = this.parts.length + 1;
    const body = this.take();
    const uploaded = await awsCall('reencrypt', 'UploadPart', () =>
      this.s3.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          PartNumber,
          Body: body,
        }),
      ),
    );
    this.parts.push({ ETag: uploaded.ETag ?? '', PartNumber });
  }
}
