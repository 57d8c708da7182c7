// The EST module; its types live in their own files.
