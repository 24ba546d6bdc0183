/** Tailwind configuration: the one `npm run build:css` uses. */
module.exports = {
  content: [
    "./views/**/*.templ",
    "./views/**/*.go",
    "./handlers/**/*.go",
    "./static/js/app.js",
  ],
  theme: {
    extend: {
      colors: {
        brand: {
          50: "#f0fdfa",
          100: "#ccfbf1",
          500: "#14b8a6",
          600: "#0d9488",
          700: "#0f766e",
          800: "#115e59",
          900: "#134e4a",
        },
      },
    },
  },
  plugins: [],
};
