// The HTTPServer module; its types live in their own files.
