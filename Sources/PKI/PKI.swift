// The PKI module; its types live in their own files.
