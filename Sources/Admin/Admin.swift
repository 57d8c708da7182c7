// The Admin module; its types live in their own files.
