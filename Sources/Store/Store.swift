// The Store module; its types live in their own files.
