// Text files the bundler inlines (build.ts: the `text` loader for .eqv).
declare module '*.eqv' {
  const text: string;
  export default text;
}
