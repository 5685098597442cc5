export { StorageCoreModule, FilesApiModule } from './storage.module';
export { FileStorage } from './file-storage';
export type { ByteRange, FileRead, ListedFile, PutOptions, StoredFile } from './file-storage';
export { LocalFileStorage } from './local/local-file-storage';
export { S3FileStorage } from './s3/s3-file-storage';
export type { S3Options } from './s3/s3-file-storage';
export { fileKey, thumbKey, storageKey } from './storage-key';
export { StorageReadinessCheck } from './storage-readiness-check';
