// The ESTClient module; its types live in their own files.
