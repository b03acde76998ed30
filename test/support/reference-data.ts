import type { Readable } from 'node:stream';
import { openDataFile, PROJECT_REFERENCE_DATA_DIR, referenceFile } from '../../reference/files';

/**
 * The project's own copy of the real reference data (reference/data; see its README). Tests check
 * figures known from these very files, so they read this copy whatever REFERENCE_DATA_DIR says.
 */
export const REFERENCE_DATA_DIR = PROJECT_REFERENCE_DATA_DIR;

/** Where a reference file is stored: `relative` itself, or gzipped as `relative.gz`. */
export function referenceDataPath(relative: string): string {
  return referenceFile(REFERENCE_DATA_DIR, relative);
}

/** A reference file's bytes as published, unzipped on the way if it is stored gzipped. */
export function openReferenceData(relative: string): Readable {
  return openDataFile(referenceDataPath(relative));
}
