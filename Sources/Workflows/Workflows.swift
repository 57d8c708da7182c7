// The Workflows module; its types live in their own files.
