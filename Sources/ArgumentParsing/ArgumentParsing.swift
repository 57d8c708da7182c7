// The ArgumentParsing module; its types live in their own files.
