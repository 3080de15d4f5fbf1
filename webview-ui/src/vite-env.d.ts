// Vite's module types for the `?worker&inline` import in layoutEngine.ts.
/// <reference types="vite/client" />
