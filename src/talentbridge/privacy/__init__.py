"""Personal data under PIPL: classification and masking, consent records, a person's
export and erasure of their data, the audit of reads, and retention."""
